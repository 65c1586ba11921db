import { Module } from '@nestjs/common';
import { CadresController } from './cadres.controller';

@Module({ controllers: [CadresController] })
export class CadresModule {}
