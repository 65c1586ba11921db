import { Module } from '@nestjs/common';
import { ToleranceController } from './tolerance.controller';

@Module({ controllers: [ToleranceController] })
export class ToleranceModule {}
