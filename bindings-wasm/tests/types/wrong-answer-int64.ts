// NEGATIVE: tsc must refuse this file: a 64-bit id is a bigint, never a number (must name: bigint).
import { parseAnswer } from "camskit";

export const id: number | undefined = parseAnswer("ListMarketingFlow", 200, "{}").body.Data?.[0]?.Id;
