import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=&offset=` of every list (CONTRACT.md §2): newest first. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  // Decorators run bottom-up: the type is checked before the range.
  @Max(MAX_PAGE_SIZE) @Min(1) @IsInt({ message: 'limit must be an integer' }) @Type(() => Number)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @Min(0) @IsInt({ message: 'offset must be an integer' }) @Type(() => Number)
  offset: number = 0;
}
