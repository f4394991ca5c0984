import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'data.order.lines[0].quantity', description: 'Path of the invalid field in the request' }) field: string;
  @ApiProperty({ example: 'data.order.lines[0].quantity must be positive' }) message: string;
}

/** Every error answer (CONTRACT.md §2). */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'the request is invalid: limit must not be greater than 500' }) message: string;
  @ApiProperty({ type: [FieldErrorDto] }) errors: FieldErrorDto[];
  @ApiPropertyOptional({ example: 'invalid_input', description: 'A stable code for programs' }) code?: string;
}
