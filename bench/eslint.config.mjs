// ESLint flat config for the bench: only eslint-plugin-sonarjs's cognitive-complexity rule, at the
// threshold cq uses (15), on JavaScript and TypeScript (TypeScript through @typescript-eslint/parser,
// without type information). The plugins live in bench/.peers/node_modules (see bench/run.sh).
import { createRequire } from "node:module";

const require = createRequire(new URL("./.peers/package.json", import.meta.url));
const sonarjs = require("eslint-plugin-sonarjs");
const tsParser = require("@typescript-eslint/parser");

const rules = { "sonarjs/cognitive-complexity": ["warn", 15] };

export default [
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
    languageOptions: { ecmaVersion: "latest", sourceType: "script" },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
    plugins: { sonarjs },
    rules,
  },
  {
    files: ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.tsx"],
    languageOptions: { parser: tsParser, sourceType: "module" },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
    plugins: { sonarjs },
    rules,
  },
];
