// The layers of docs/architecture.md as an allowlist (eslint-plugin-boundaries): a file
// of a layer may import only from its own layer and the layers ALLOW lists for it.
// Two single files get a category of their own: the reasons table (the bottom of
// shared/, which shared/codec may use) and ipc.ts (all the sandboxed preload may use).
// test/lint/layers.test.ts lints a probe posing as each layer, allowed and forbidden.

const FOLDERS = {
  codec: 'shared/codec',
  rules: 'shared/rules',
  protocol: 'shared/protocol',
  net: 'electron/net',
  store: 'electron/store',
  record: 'electron/record',
  commands: 'electron/commands',
  hub: 'electron/hub',
  main: 'electron/main',
  preload: 'electron/preload',
  web: 'electron/web',
  renderer: 'renderer',
};

/** Folders and their layer; `lint-fixtures/<layer>` poses as that layer for the rule tests. */
export const LAYERS = [
  ...Object.entries(FOLDERS).map(([type, pattern]) => ({ type, pattern })),
  // the files directly in electron/: backend.ts, the composition root
  { type: 'backend', pattern: 'electron' },
  ...Object.keys(FOLDERS).map((type) => ({ type, pattern: `lint-fixtures/${type}` })),
];

/** Single files with a category of their own. */
export const FILES = [
  { category: 'reasons', pattern: '**/shared/protocol/{reasons,reason-format}.ts' },
  { category: 'ipc-contract', pattern: '**/shared/protocol/ipc.ts' },
];

const SHARED = ['codec', 'rules', 'protocol'];

/** Which layers each layer may import besides its own, and which single files. */
export const ALLOW = {
  codec: { layers: [], files: ['reasons'] },
  // rules (the built-in examples and the YAML text form) sit on the rule schemas; the
  // schemas and the template parser they validate with never import shared/rules
  rules: { layers: ['codec', 'protocol'] },
  protocol: { layers: ['codec'] },
  net: { layers: SHARED },
  store: { layers: SHARED },
  record: { layers: [...SHARED, 'net', 'store'] },
  commands: { layers: [...SHARED, 'net', 'record', 'store'] },
  hub: { layers: SHARED },
  backend: { layers: [...SHARED, 'net', 'record', 'store', 'commands', 'hub'] },
  main: { layers: [...SHARED, 'backend', 'hub', 'store'] },
  // the sandboxed preload: channel names and the PreloadApi type, nothing else
  preload: { layers: [], files: ['ipc-contract'] },
  web: { layers: [...SHARED, 'backend', 'hub', 'store'] },
  renderer: { layers: SHARED },
};

export function layerPolicies() {
  const policies = [];
  for (const [from, { layers, files = [] }] of Object.entries(ALLOW)) {
    policies.push({ from: { element: { type: from } }, allow: { to: { element: { types: { anyOf: [from, ...layers] } } } } });
    for (const category of files) policies.push({ from: { element: { type: from } }, allow: { to: { file: { categories: category } } } });
  }
  return policies;
}
