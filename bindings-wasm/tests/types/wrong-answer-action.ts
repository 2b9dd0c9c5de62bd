// NEGATIVE: tsc must refuse this file: parseAnswer takes only an action camskit knows (must name: ListChatappTemplates).
import { parseAnswer } from "camskit";

export const r = parseAnswer("ListChatappTemplates", 200, "{}");
