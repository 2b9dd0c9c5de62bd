// NEGATIVE: tsc must refuse this file: a field name CAMS does not send (must name: ListTemplates).
import type { AnswerOf } from "../generated/answers";

export const list: AnswerOf<"ListChatappTemplate"> = { ListTemplates: [] };
