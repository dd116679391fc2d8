import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test support: a DataSource module (plain JavaScript, the decorators applied as functions) on `url` whose only entity is
 * a @Tracked widget (id, name), or no entity at all (`tracked: false`): what `--data-source` of status and prune loads.
 */
export async function widgetModule(url: string, tracked = true): Promise<string> {
  const require = createRequire(import.meta.url);
  const source = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const file = join(await mkdtemp(join(tmpdir(), 'rowtrail-cli-entities-')), 'data-source.mjs');
  await writeFile(file, `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
require(${JSON.stringify(require.resolve('reflect-metadata'))});
const { Column, DataSource, Entity, PrimaryColumn } = require(${JSON.stringify(require.resolve('typeorm'))});
const { Tracked } = await import(${source('../../typeorm/tracked-decorator.ts')});
const { withRowtrail } = await import(${source('../../typeorm/with-rowtrail.ts')});
class Widget {}
PrimaryColumn({ type: 'integer' })(Widget.prototype, 'id');
Column({ type: 'text', nullable: true })(Widget.prototype, 'name');
Entity({ name: 'widget' })(Widget);
Tracked()(Widget);
export const dataSource = new DataSource(withRowtrail({ type: 'postgres', url: ${JSON.stringify(url)}, entities: ${tracked ? '[Widget]' : '[]'}, poolSize: 2 }));
`);
  return file;
}
