import { Module } from '@nestjs/common';
import { AccountabilityController } from './accountability.controller';

@Module({ controllers: [AccountabilityController] })
export class AccountabilityModule {}
