import { ConflictException, Inject, Injectable } from '@nestjs/common';
import {
  type CustomAttribute,
  type CustomAttributeCommand,
  type CustomAttributeDefinition,
  type CustomAttributeEvent,
  type CustomAttributeState,
  customAttributeDecider,
  customAttributeStreamName,
  findCustomAttribute,
  satisfiesDefinition,
} from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { READ_MODEL } from '@axis/platform';
import { decideAndAppend, loadStream, type WriteContext } from '@axis/write';
import { MEMBERS_PROJECTION, storedAttributeValues } from '@axis/read-model';
import { AXIS_USER_EXTENSION_SCHEMA } from '@axis/scim';
import type { DataSource } from 'typeorm';
import { ReadYourWrites } from '../consistency/read-your-writes';
import { WorkspaceSchemas } from './workspace-schemas';

const VALUES_PAGE = 500;
const SAMPLE_LENGTH = 80;

/**
 * The write side of a workspace's custom-attribute definitions: the platform's decide-and-append
 * loop on the workspace's definitions stream (actor: the admin), plus the one rule a pure decider
 * cannot check — a change of type or multiValued must be satisfied by every value already stored
 * (read from the member read model, after this process's own user writes have reached it).
 */
@Injectable()
export class CustomAttributeDefinitions {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
    private readonly schemas: WorkspaceSchemas,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async list(workspaceId: string): Promise<CustomAttribute[]> {
    const loaded = await loadStream(this.eventStore, customAttributeDecider, customAttributeStreamName(workspaceId));
    return [...loaded.state.attributes.values()];
  }

  /** Decides and appends the command; the attribute as it stands afterwards. */
  async run(command: CustomAttributeCommand, context: WriteContext): Promise<CustomAttribute> {
    const result = await decideAndAppend<CustomAttributeCommand, CustomAttributeEvent, CustomAttributeState>(
      this.eventStore,
      customAttributeDecider,
      customAttributeStreamName(context.workspaceId),
      command,
      context,
      {
        beforeAppend: async (events) => {
          for (const event of events) {
            if (event.type !== 'TENANT_CUSTOM_ATTRIBUTE_CHANGED') continue;
            if (event.data.changedFields.includes('type') || event.data.changedFields.includes('multiValued')) {
              await this.assertStoredValuesSatisfy(context.workspaceId, event.data.definition, event.data.previous);
            }
          }
        },
      },
    );
    this.schemas.remember(context.workspaceId, result.state, result.revision);
    const name = command.type === 'AddCustomAttribute' ? command.attribute.name : command.name;
    return findCustomAttribute(result.state, name)!;
  }

  private async assertStoredValuesSatisfy(workspaceId: string, definition: CustomAttributeDefinition, previous: CustomAttributeDefinition): Promise<void> {
    await this.readYourWrites.waitFor(workspaceId, MEMBERS_PROJECTION);
    let afterId: string | undefined;
    for (;;) {
      const page = await storedAttributeValues(this.readModel, { workspaceId, keys: [AXIS_USER_EXTENSION_SCHEMA, definition.name], limit: VALUES_PAGE, ...(afterId ? { afterId } : {}) });
      const bad = page.find((stored) => !satisfiesDefinition(definition, stored.value));
      if (bad) {
        throw new ConflictException({
          error: 'conflict',
          message:
            `Cannot change "${definition.name}" from ${describe(previous)} to ${describe(definition)}: ` +
            `member ${bad.memberId} has the value ${sample(bad.value)}, which does not satisfy it. Change or clear such values first.`,
        });
      }
      if (page.length < VALUES_PAGE) return;
      afterId = page[page.length - 1]!.memberId;
    }
  }
}

function describe(definition: CustomAttributeDefinition): string {
  return definition.multiValued ? `a list of ${definition.type}` : `a single ${definition.type}`;
}

function sample(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > SAMPLE_LENGTH ? `${text.slice(0, SAMPLE_LENGTH)}…` : text;
}
