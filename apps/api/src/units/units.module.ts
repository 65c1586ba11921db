import { Module } from '@nestjs/common';
import { UnitRegistryController, UnitsController } from './units.controller';
import { FindingsController } from '../findings/findings.controller';

@Module({ controllers: [UnitRegistryController, UnitsController, FindingsController] })
export class UnitsModule {}
