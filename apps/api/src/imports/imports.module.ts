import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller';
import { ImportJobs } from './import-jobs.service';

@Module({ controllers: [ImportsController], providers: [ImportJobs], exports: [ImportJobs] })
export class ImportsModule {}
