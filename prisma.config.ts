// Prisma 7 reads its configuration from here (the CLI no longer loads .env by itself).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://reelroom:reelroom@127.0.0.1:5432/reelroom' },
});
