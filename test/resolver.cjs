// @kubernetes-models/* and kubernetes-models (and is-cidr, which they use) export only an "import" condition; Jest resolves
// with "require". Resolve those packages with "import" (swc then transforms them to CommonJS).
const ESM_ONLY = /^(@kubernetes-models\/|kubernetes-models(\/|$))/;
module.exports = (request, options) =>
  options.defaultResolver(request, ESM_ONLY.test(request) ? { ...options, conditions: ['import', 'node', 'default'] } : options);
