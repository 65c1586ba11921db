import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { IMPORTS, type ImportSettings } from '../tokens';
import { ImportsController } from './imports.controller';
import { ImportJobs } from './import-jobs.service';
import { spreadsheetsOnly, uploadStorage } from './upload-storage';

@Module({
  imports: [
    // Uploads into the ledger's own directory, within the configured size (a bigger body is a 413, nothing of it kept).
    MulterModule.registerAsync({
      inject: [IMPORTS],
      useFactory: (settings: ImportSettings) => ({ storage: uploadStorage(settings.dir), fileFilter: spreadsheetsOnly, limits: { fileSize: settings.limits.maxFileBytes, files: 1, fields: 8 } }),
    }),
  ],
  controllers: [ImportsController],
  providers: [ImportJobs],
  exports: [ImportJobs],
})
export class ImportsModule {}
