import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../../common/error-body.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input; every invalid field is named by its path',
  401: 'Missing or wrong bearer token (webhooks: bad or missing signature, or timestamp outside tolerance)',
  404: 'Unknown shop (or resource)',
  413: 'Body over 1 MiB',
  422: 'Valid input that refers to something e-conomic does not have, or a grant token e-conomic rejects',
  503: 'e-conomic, JetStream or a backing service is not answering; try again shortly',
};

/** Documents error answers in the contract's shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorBodyDto })));
