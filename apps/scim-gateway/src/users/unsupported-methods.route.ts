import { Controller, Delete, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { scimErrors } from '@axis/scim';
import { ScimBearerGuard } from '../auth/scim-bearer.guard';

/** Methods a User endpoint does not support answer 405 (RFC 7644 §3.2), not 404. */
@Controller('scim/v2/Users')
@UseGuards(ScimBearerGuard)
export class UnsupportedUserMethodsRoute {
  @Put()
  putCollection(): never {
    throw notAllowed('PUT', '/Users');
  }

  @Patch()
  patchCollection(): never {
    throw notAllowed('PATCH', '/Users');
  }

  @Delete()
  deleteCollection(): never {
    throw notAllowed('DELETE', '/Users');
  }

  @Post(':id')
  postResource(): never {
    throw notAllowed('POST', '/Users/{id}');
  }
}

function notAllowed(method: string, path: string) {
  return scimErrors.methodNotAllowed(`${method} ${path} is not supported`);
}
