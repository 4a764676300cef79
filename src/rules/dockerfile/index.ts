// The static index of Dockerfile rules: nothing else knows a rule by name.
import type { DockerfileRule } from "../../core/rule.ts";
import { rule as DL3000 } from "./DL3000.ts";
import { rule as DL3002 } from "./DL3002.ts";
import { rule as DL3004 } from "./DL3004.ts";
import { rule as DL3006 } from "./DL3006.ts";
import { rule as DL3007 } from "./DL3007.ts";
import { rule as DL3020 } from "./DL3020.ts";
import { rule as DL3025 } from "./DL3025.ts";
import { rule as DL4000 } from "./DL4000.ts";
import { rule as JSONArgsRecommended } from "./JSONArgsRecommended.ts";

export const dockerfileRules: readonly DockerfileRule[] = [
  DL3000, DL3002, DL3004, DL3006, DL3007, DL3020, DL3025, DL4000, JSONArgsRecommended,
].sort((a, b) => a.id.localeCompare(b.id));
