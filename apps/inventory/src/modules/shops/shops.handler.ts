import { Injectable } from '@nestjs/common';
import { EventEnvelope, ShopProfileUpdatedData, Subjects } from '@bogholder/contracts';
import type { HandlerContext } from '@bogholder/messaging';
import { OnEvent } from '@bogholder/service-kit';
import { ShopProfilesService } from './shop-profiles.service';

@Injectable()
export class ShopsHandler {
  constructor(private readonly profiles: ShopProfilesService) {}

  @OnEvent(Subjects.ShopProfileUpdated)
  async profileUpdated(env: EventEnvelope<ShopProfileUpdatedData>, ctx: HandlerContext): Promise<void> {
    await this.profiles.apply(ctx.manager, env);
  }
}
