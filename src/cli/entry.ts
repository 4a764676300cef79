// Runs the CLI from source (tests) and from dist/ (bin/drydock.js).
import { main } from "./main.ts";

process.exitCode = await main(process.argv.slice(2));
