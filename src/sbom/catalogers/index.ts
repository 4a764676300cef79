// Every cataloger `drydock sbom` and `drydock scan` run, OS package databases first. `--catalogers` picks by name.
import type { Cataloger } from "../model.ts";
import { apkCataloger } from "./apk.ts";
import { dotnetDepsCataloger, dotnetProjectCataloger, nugetLockCataloger } from "./dotnet.ts";
import { dpkgCataloger } from "./dpkg.ts";
import { goBinaryCataloger, goModCataloger } from "./go.ts";
import { javaArchiveCataloger } from "./java.ts";
import { npmLockCataloger, npmPackageCataloger, pnpmLockCataloger, yarnLockCataloger } from "./npm.ts";
import { composerInstalledCataloger, composerLockCataloger } from "./php.ts";
import {
  pipfileLockCataloger, poetryLockCataloger, pythonInstalledCataloger, pythonRequirementsCataloger, uvLockCataloger,
} from "./python.ts";
import { rpmCataloger } from "./rpm.ts";
import { gemfileLockCataloger, gemspecCataloger } from "./ruby.ts";
import { cargoLockCataloger, rustBinaryCataloger } from "./rust.ts";

export const allCatalogers: readonly Cataloger[] = [
  dpkgCataloger, apkCataloger, rpmCataloger,
  npmPackageCataloger, npmLockCataloger, yarnLockCataloger, pnpmLockCataloger,
  pythonInstalledCataloger, pythonRequirementsCataloger, poetryLockCataloger, uvLockCataloger, pipfileLockCataloger,
  goBinaryCataloger, goModCataloger,
  javaArchiveCataloger,
  gemspecCataloger, gemfileLockCataloger,
  rustBinaryCataloger, cargoLockCataloger,
  composerInstalledCataloger, composerLockCataloger,
  dotnetDepsCataloger, nugetLockCataloger, dotnetProjectCataloger,
];
