import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'gateway:public';

/** An `/api` route that needs no bearer token (only the e-conomic callback). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
