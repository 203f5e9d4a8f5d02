import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory's sort indexes carry the columns its filters test (issue 18, done-when 1: a
 * filtered search as cheap as the default page at any size).
 *
 * A practice area + language search walks its sort's btree and skips the listings that do not
 * match (about 1 in 25 match at 100k lawyers): with the filtered columns only in the heap, each
 * skipped listing cost a heap visit (≈1,600 random heap reads for a page of 20, and as many
 * again for the capped total). With the arrays and the rating INCLUDEd in the index, the skipping
 * happens in an index-only scan; the directory query then reads the heap only for the 20 listings
 * it shows (see buildDirectoryQuery). Every sort index is rebuilt the same way, the per-currency
 * ones too, so each sort × filter combination keeps an index-only path.
 */
const SORTS: Record<string, string> = {
  soonest: 'soon_at, price_minor, lawyer_id',
  newest: 'verified_key, lawyer_id',
  rating: 'rating_key, rating_count_key, lawyer_id',
};
const FILTERED = 'practice_areas, languages, jurisdiction_keys, rating_average';

export class DirectoryCoveringIndexes1764830000000 implements MigrationInterface {
  name = 'DirectoryCoveringIndexes1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await this.build(q, ` INCLUDE (${FILTERED})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.build(q, '');
  }

  private async build(q: QueryRunner, include: string): Promise<void> {
    const indexes: [name: string, columns: string, partial: boolean][] = [];
    for (const [sort, columns] of Object.entries(SORTS)) {
      indexes.push(
        [`ix_directory_listings_${sort}`, columns, true],
        [`ix_directory_listings_${sort}_currency`, `currency, ${columns}`, false],
      );
    }
    // Price groups by currency anyway: one column list for both (see DirectoryListings1764800000000).
    const price = 'currency, price_minor, verified_key, lawyer_id';
    indexes.push(['ix_directory_listings_price', price, true], ['ix_directory_listings_price_currency', price, false]);
    for (const [name, columns, partial] of indexes) {
      await q.query(`DROP INDEX ${name}`);
      await q.query(`CREATE INDEX ${name} ON directory_listings (${columns})${include}${partial ? ' WHERE is_primary' : ''}`);
    }
  }
}
