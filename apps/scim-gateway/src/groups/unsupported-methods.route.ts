import { Controller, Delete, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { scimErrors } from '@axis/scim';
import { ScimBearerGuard } from '../auth/scim-bearer.guard';

/** Methods a Group endpoint does not support answer 405 (RFC 7644 §3.2), not 404. */
@Controller('scim/v2/Groups')
@UseGuards(ScimBearerGuard)
export class UnsupportedGroupMethodsRoute {
  @Put()
  putCollection(): never {
    throw notAllowed('PUT', '/Groups');
  }

  @Patch()
  patchCollection(): never {
    throw notAllowed('PATCH', '/Groups');
  }

  @Delete()
  deleteCollection(): never {
    throw notAllowed('DELETE', '/Groups');
  }

  @Post(':id')
  postResource(): never {
    throw notAllowed('POST', '/Groups/{id}');
  }
}

function notAllowed(method: string, path: string) {
  return scimErrors.methodNotAllowed(`${method} ${path} is not supported`);
}
