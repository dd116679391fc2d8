// The join tables of many-to-many relations named in @Tracked({ manyToMany }), end to end against real PostgreSQL:
// a link added or removed through TypeORM is an event of the join table, with the request's context.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { run } from '../context/request-context.js';
import { databaseStatus } from '../lifecycle/database-status.js';
import { ShapeArticle, ShapeTag, LINK_ENTITIES } from './entity-shape-test-entities.js';
import { installTracked } from './install-tracked.js';
import { trackedStatus } from './tracked-lifecycle.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { historySince, lastEventId } from './test-history.js';

let opened: TrackedTestDatabase;
let dataSource: DataSource;
beforeAll(async () => {
  opened = await openTrackedDatabase('many_to_many', LINK_ENTITIES);
  dataSource = opened.dataSource;
});
afterAll(() => opened?.close());

const links = async (mark: string) => (await historySince(opened.db.pool, mark))
  .filter((r) => r.table_name === 'public.shape_article_tag')
  .map((r) => [r.operation, r.record_key, r.changes, (r.metadata as { user?: string } | null)?.user ?? null]);

describe('@Tracked({ manyToMany })', () => {
  it('tracks the join tables it names, and only those', async () => {
    const { rows } = await opened.db.pool.query(`SELECT table_name FROM rowtrail.tracked_table ORDER BY 1`);
    expect(rows.map((r) => r.table_name)).toEqual(['public.shape_article', 'public.shape_article_tag', 'public.shape_tag']);
    expect((await trackedStatus(dataSource)).upToDate).toBe(true);
    expect((await databaseStatus(opened.db.pool)).upToDate).toBe(true);
  });

  it('records each link added or removed through save(), the relation query builder and SQL, with its request', async () => {
    const [news, sport, art] = await dataSource.getRepository(ShapeTag).save([{ name: 'news' }, { name: 'sport' }, { name: 'art' }]);
    const articles = dataSource.getRepository(ShapeArticle);
    const mark = await lastEventId(opened.db.pool);

    const article = await run({ user: 'alice' }, () => articles.save(articles.create({ title: 'Match report', tags: [news, sport], related: [art] })));
    await run({ user: 'bob' }, () => articles.save({ ...article, tags: [sport] }));
    await run({ user: 'carol' }, () => dataSource.createQueryBuilder().relation(ShapeArticle, 'tags').of(article.id).add(art.id));
    await run({ user: 'dave' }, () => dataSource.query(`DELETE FROM shape_article_tag WHERE "shapeTagId" = $1`, [sport.id]));

    const link = (tag: number) => ({ shapeArticleId: article.id, shapeTagId: tag });
    expect(await links(mark)).toEqual([
      ['INSERT', link(news.id), link(news.id), 'alice'],
      ['INSERT', link(sport.id), link(sport.id), 'alice'],
      ['DELETE', link(news.id), link(news.id), 'bob'],
      ['INSERT', link(art.id), link(art.id), 'carol'],
      ['DELETE', link(sport.id), link(sport.id), 'dave'],
    ]);
    // the relation manyToMany does not name has no history
    expect((await historySince(opened.db.pool, mark)).filter((r) => r.table_name.includes('related'))).toEqual([]);
  });

  it('names the relation of a join table that does not exist (yet), and the entity of a missing entity table', async () => {
    // as before the migration that creates it has run
    await opened.db.pool.query(`ALTER TABLE shape_article_tag RENAME TO shape_article_tag_later`);
    try {
      await expect(installTracked(dataSource)).rejects.toThrow('Rowtrail: cannot track table public.shape_article_tag, the join table of ShapeTag.articles (@Tracked manyToMany): it does not exist; create it first (run the migration that creates it)');
    } finally {
      await opened.db.pool.query(`ALTER TABLE shape_article_tag_later RENAME TO shape_article_tag`);
    }
    await opened.db.pool.query(`ALTER TABLE shape_tag RENAME TO shape_tag_later`);
    try {
      await expect(installTracked(dataSource)).rejects.toThrow('Rowtrail: cannot track table public.shape_tag, the table of entity ShapeTag: it does not exist; create it first (run the migration that creates it)');
    } finally {
      await opened.db.pool.query(`ALTER TABLE shape_tag_later RENAME TO shape_tag`);
    }
    expect((await installTracked(dataSource)).updatedTables).toEqual([]);
  });
});
