// NEGATIVE: tsc must refuse this file: ListTemplates is not a field of ListChatappTemplate's answer (must name: ListTemplates).
import { parseAnswer } from "camskit";

export const n = parseAnswer("ListChatappTemplate", 200, "{}").body.ListTemplates;
