/**
 * The folder rules of src/, checked by `npm run lint:deps` and by src/folder-layout.spec.ts.
 * Low folders hold what every feature uses (the moderation log among them, in journal/); a
 * feature that must tell a higher one of a change raises a journal event, or asks through a port
 * that app.module.ts binds.
 */
const LOW = '(common|config|logging|errors|openapi|database|sites|identity|auth|journal|deliveries)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders of src/ depend on each other one way only.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'low-folders-import-no-feature',
      comment: `src/${LOW} sit below every feature and import none.`,
      severity: 'error',
      from: { path: `^src/${LOW}/` },
      to: { path: '^src/', pathNot: `^src/${LOW}/` },
    },
    {
      name: 'no-orphans',
      comment:
        'A file that nothing imports and that imports nothing is left over (entities are found by the data source, by their file names).',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: ['\\.entity\\.ts$', '\\.spec\\.ts$'] },
      to: {},
    },
  ],
  options: {
    // Migrations are cruised too: what they take from src/ counts.
    includeOnly: '^(src|migrations)/',
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a folder that needs another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
