// The static index of image checks (`drydock audit`): nothing else knows a check by name.
// dockle's CIS-DI-0005 (content trust) is a setting of the Docker client on the host, not a property of an image:
// it has no check here; `drydock verify` checks signatures.
import type { ImageCheck } from "../../core/image-check.ts";
import { check as DI001 } from "./DI001.ts";
import { check as DI002 } from "./DI002.ts";
import { check as DI003 } from "./DI003.ts";
import { check as DI004 } from "./DI004.ts";
import { check as DI005 } from "./DI005.ts";
import { check as DI006 } from "./DI006.ts";
import { check as DI007 } from "./DI007.ts";
import { check as DI008 } from "./DI008.ts";
import { check as DI009 } from "./DI009.ts";
import { check as DI010 } from "./DI010.ts";
import { check as DI011 } from "./DI011.ts";
import { check as DI012 } from "./DI012.ts";
import { check as DI013 } from "./DI013.ts";
import { check as DI014 } from "./DI014.ts";
import { check as DI015 } from "./DI015.ts";
import { check as DI016 } from "./DI016.ts";
import { check as DI017 } from "./DI017.ts";
import { check as DI018 } from "./DI018.ts";
import { check as DI019 } from "./DI019.ts";
import { check as DI020 } from "./DI020.ts";
import { check as DI021 } from "./DI021.ts";

export const imageChecks: readonly ImageCheck[] = [
  DI001,
  DI002,
  DI003,
  DI004,
  DI005,
  DI006,
  DI007,
  DI008,
  DI009,
  DI010,
  DI011,
  DI012,
  DI013,
  DI014,
  DI015,
  DI016,
  DI017,
  DI018,
  DI019,
  DI020,
  DI021,
];
