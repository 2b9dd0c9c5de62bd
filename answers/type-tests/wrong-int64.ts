// NEGATIVE: tsc must refuse this file: a 64-bit id is a bigint, never a rounded number (must name: bigint).
import type { ListMarketingFlowResponseBodyData } from "../generated/answers";

export const flow: ListMarketingFlowResponseBodyData = { Id: 9007199254740993 };
