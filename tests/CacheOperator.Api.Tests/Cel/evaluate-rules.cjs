// Evaluates CEL rules with cel-es (@bufbuild/cel), a CEL implementation we did not write, plus the Kubernetes
// quantity functions our rules use (isQuantity, quantity, compareTo, asApproximateFloat), written here after
// k8s.io/apiserver/pkg/cel/library/quantity.go. A quantity is modelled as its value as a double.
// Usage: node evaluate-rules.cjs <node_modules dir> <cases.json>
// cases.json: [{ "rule": "...", "self": <JSON> }]; prints [true | false | "error: ..."] in the same order.
"use strict";
const path = require("path");
const fs = require("fs");
const { run, celFunc, celMethod, CelScalar, isCelError } = require(path.join(process.argv[2], "@bufbuild/cel"));

const pattern = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
const multipliers = { "": 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

function quantity(text) {
  if (!pattern.test(text)) throw new Error(`invalid quantity: ${text}`);
  const [, number, suffix] = text.match(/^([+-]?[0-9.]+(?:[eE][+-]?[0-9.]+)?)([a-zA-Z]*)$/);
  return parseFloat(number) * multipliers[suffix];
}

const funcs = [
  celFunc("isQuantity", [CelScalar.STRING], CelScalar.BOOL, (text) => pattern.test(text)),
  celFunc("quantity", [CelScalar.STRING], CelScalar.DOUBLE, (text) => quantity(text)),
  celMethod("compareTo", CelScalar.DOUBLE, [CelScalar.DOUBLE], CelScalar.INT,
    function (other) { return BigInt(Math.sign(this - other)); }),
  celMethod("asApproximateFloat", CelScalar.DOUBLE, [], CelScalar.DOUBLE, function () { return this; }),
];

// JSON objects become CEL maps (has() and field selection work on them as on Kubernetes objects); JSON
// integers become CEL ints.
function toCel(value) {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object")
    return new Map(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  return value;
}

const cases = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const results = cases.map(({ rule, self }) => {
  const result = run(rule, { self: toCel(self) }, { funcs });
  if (isCelError(result)) return `error: ${result.message}`;
  return typeof result === "boolean" ? result : `error: the rule returned ${typeof result}, not a bool`;
});
process.stdout.write(JSON.stringify(results));
