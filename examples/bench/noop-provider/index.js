// The do-nothing hooks of noop.ts as a module. Installed in a program's node_modules, a dynamic
// resource whose provider is this module stores only `require("bench-noop-provider")` in state:
// the benchmark's floor when the package under test serializes its provider the same way.
"use strict";
const outs = (inputs) => {
  const t = new Date().toISOString();
  const widget = { rotatedAt: t, previousSecretExpiresAt: t, invalidateImmediately: false, widget: { name: "bench", domains: ["example.com"], mode: "managed", region: "world", clearanceLevel: "no_clearance", botFightMode: false, ephemeralId: false, offlabel: false, createdOn: t, modifiedOn: t } };
  return { ...inputs, secret: "noop", createdAt: Date.now(), ...(inputs.mirror ? widget : {}) };
};
exports.configure = async () => {};
exports.check = async (_olds, news) => ({ inputs: news });
exports.diff = async (_id, olds, news) => ({ changes: String(olds.rotationTrigger) !== String(news.rotationTrigger) });
exports.create = async (inputs) => ({ id: `${inputs.accountId}/${inputs.sitekey}`, outs: outs(inputs) });
exports.read = async (id, props) => ({ id, props });
exports.update = async (_id, _olds, news) => ({ outs: outs(news) });
exports.delete = async () => {};
