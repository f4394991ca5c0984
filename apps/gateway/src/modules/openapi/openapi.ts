import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, generated from the controllers and DTOs. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('bogholder gateway')
    .setDescription(
      'Shops, their e-conomic connection and settings, signed webhooks in, and the transfer log. ' +
        'Every `/api` route except the e-conomic callback needs `Authorization: Bearer <ADMIN_TOKEN>`. ' +
        'Errors answer `{statusCode, message, errors: [{field, message}]}`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The gateway\'s ADMIN_TOKEN' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'bogholder gateway API' });
}
