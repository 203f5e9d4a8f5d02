import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { typeormOptions } from './typeorm-options';

/**
 * DataSource for the TypeORM CLI (`npm run migration:run`), which needs DATABASE_URL.
 * The app builds its own connection from the same options (see database.module.ts).
 */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL must be set to run TypeORM CLI commands (the embedded server is started by the app itself).');
}
export default new DataSource(typeormOptions(url));
