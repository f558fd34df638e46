// Validates every manifest in a folder against the Kubernetes API schemas that kubernetes-models bundles
// (the same OpenAPI schemas the API server checks; no cluster and no network needed).
// Usage: node validate.js FOLDER [--json]   Exit 0 when all are valid; otherwise one line per problem and exit 1.
// With --json, the valid manifests are printed as one JSON array instead (for tests that inspect them).
"use strict";
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

// apiVersion → kubernetes-models module; kind → class exported by it.
const modules = {
  v1: "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
};

const folder = process.argv[2] || "..";
const asJson = process.argv.includes("--json");
const valid = [];
let problems = 0;
let checked = 0;
for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".yaml")).sort()) {
  const text = fs.readFileSync(path.join(folder, file), "utf8");
  for (const document of YAML.parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      for (const error of document.errors) console.log(`${file}: ${error.message}`);
      problems += document.errors.length;
      continue;
    }

    const manifest = document.toJS();
    if (manifest === null) continue;
    if (manifest.apiVersion === "kustomize.config.k8s.io/v1beta1") continue; // kustomize's own file, not an API object
    const module = modules[manifest.apiVersion];
    const Model = module && require(module)[manifest.kind];
    if (!Model) {
      console.log(`${file}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
      problems++;
      continue;
    }

    try {
      new Model(manifest).validate();
      valid.push(manifest);
      checked++;
    } catch (error) {
      console.log(`${file}: ${manifest.kind} ${manifest.metadata && manifest.metadata.name}: ${error.message}`);
      problems++;
    }
  }
}

if (asJson && problems === 0) console.log(JSON.stringify(valid));
else console.log(`${checked} manifests valid, ${problems} problems`);
process.exit(problems === 0 && checked > 0 ? 0 : 1);
