/*
 * Copyright 2026 The Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { InputError, NotFoundError } from '@backstage/errors';
import { ItemSpec, VaultSpec } from '../scenario/types';
import { ConnectApiError } from './ConnectApiError';
import { deterministicId, randomId } from './ids';
import { applyItemPatch, PatchOperation } from './itemPatch';
import { ItemContent, parseItemContent } from './itemContent';
import {
  ConnectFile,
  ConnectFullItem,
  ConnectItemSummary,
  ConnectVault,
} from './types';

/** Connect's default `OP_MAX_INLINE_FILE_SIZE_KB`. */
const MAX_INLINE_FILE_BYTES = 100 * 1024;

/** Who made an edit: the `lastEditedBy` id Connect reports. */
type EditorId = string;

/** The editor id of changes made through the sandbox's own handles, not the API. */
const SANDBOX_EDITOR: EditorId =
  deterministicId('sandbox-editor').toUpperCase();

/** A change made to an item outside the API, as a person would in the 1Password app. @public */
export interface ItemChanges {
  title?: string;
  tags?: string[];
  favorite?: boolean;
  urls?: Array<{ label?: string; primary?: boolean; href: string }>;
  /** New values by field label or id; every named field must exist. */
  fields?: Record<string, string>;
  /** When the edit happened (ISO time); default now. */
  updatedAt?: string;
}

interface StoredFile {
  id: string;
  name: string;
  content: Buffer;
  section?: { id: string };
}

interface StoredItem {
  item: ConnectFullItem;
  files: StoredFile[];
}

interface StoredVault {
  vault: Omit<ConnectVault, 'items'>;
  items: Map<string, StoredItem>;
}

function summaryOf(item: ConnectFullItem): ConnectItemSummary {
  const {
    sections: _sections,
    fields: _fields,
    files: _files,
    ...summary
  } = item;
  return structuredClone(summary);
}

function fileMetadata(
  vaultId: string,
  itemId: string,
  file: StoredFile,
): ConnectFile {
  return {
    id: file.id,
    name: file.name,
    size: file.content.length,
    content_path: `v1/vaults/${vaultId}/items/${itemId}/files/${file.id}/content`,
    ...(file.section ? { section: file.section } : {}),
  };
}

/**
 * The vaults and items of one Connect server, with Connect's bookkeeping:
 * item `version`, `updatedAt` and `lastEditedBy` on every change, vault
 * `contentVersion` whenever one of its items changes. Knows nothing of HTTP
 * or tokens; lookups by id answer `undefined` when nothing matches.
 */
export class ConnectStore {
  private readonly vaults = new Map<string, StoredVault>();
  private readonly clock: () => Date;

  static create(options: {
    serverName: string;
    vaults: VaultSpec[];
    clock?: () => Date;
  }): ConnectStore {
    const store = new ConnectStore(options.clock ?? (() => new Date()));
    for (const vault of options.vaults) {
      store.seedVault(options.serverName, vault);
    }
    return store;
  }

  private constructor(clock: () => Date) {
    this.clock = clock;
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /** A new, empty vault at version 1, as 1Password creates one. */
  private addVault(
    id: string,
    spec: { name: string; description?: string },
    createdAt: string,
  ): StoredVault {
    const stored: StoredVault = {
      vault: {
        id,
        name: spec.name,
        description: spec.description ?? '',
        attributeVersion: 1,
        contentVersion: 1,
        type: 'USER_CREATED',
        createdAt,
        updatedAt: createdAt,
      },
      items: new Map(),
    };
    this.vaults.set(id, stored);
    return stored;
  }

  private seedVault(serverName: string, spec: VaultSpec): void {
    const id = spec.id ?? deterministicId(`vault:${serverName}/${spec.name}`);
    const stored = this.addVault(id, spec, spec.createdAt ?? this.now());
    for (const item of spec.items ?? []) {
      this.seedItem(stored, item);
    }
  }

  private seedItem(stored: StoredVault, spec: ItemSpec): ConnectFullItem {
    const vaultId = stored.vault.id;
    const id = spec.id ?? deterministicId(`item:${vaultId}/${spec.title}`);
    if (stored.items.has(id)) {
      throw new InputError(
        `Item id ${id} ('${spec.title}') appears twice in vault '${stored.vault.name}'`,
      );
    }
    const content = parseItemContent(
      {
        title: spec.title,
        category: spec.category ?? 'LOGIN',
        tags: spec.tags ?? [],
        urls: spec.urls,
        fields: (spec.fields ?? []).map(field => ({
          id: field.id,
          label: field.label,
          type:
            field.type ??
            (field.purpose === 'PASSWORD' ? 'CONCEALED' : 'STRING'),
          purpose: field.purpose,
          value: field.value,
        })),
      },
      { vaultId, creating: false },
    );
    const createdAt = spec.createdAt ?? spec.updatedAt ?? this.now();
    const item: ConnectFullItem = {
      id,
      vault: { id: vaultId },
      ...content,
      version: spec.version ?? 1,
      createdAt,
      updatedAt: spec.updatedAt ?? createdAt,
      lastEditedBy: SANDBOX_EDITOR,
    };
    const files = (spec.files ?? []).map(file => ({
      id: file.id ?? deterministicId(`file:${id}/${file.name}`),
      name: file.name,
      content: Buffer.from(file.content, 'utf8'),
    }));
    stored.items.set(id, { item, files });
    // Seeded history counts as changes to the vault's content.
    stored.vault.contentVersion += item.version;
    if (item.updatedAt > stored.vault.updatedAt) {
      stored.vault.updatedAt = item.updatedAt;
    }
    return item;
  }

  private vaultView(stored: StoredVault): ConnectVault {
    return { ...stored.vault, items: stored.items.size };
  }

  private withFiles(vaultId: string, stored: StoredItem): ConnectFullItem {
    const item = structuredClone(stored.item);
    if (stored.files.length > 0) {
      item.files = stored.files.map(file =>
        fileMetadata(vaultId, item.id, file),
      );
    }
    return item;
  }

  // ---- reads by id (the API) ----

  listVaults(): ConnectVault[] {
    return [...this.vaults.values()].map(stored => this.vaultView(stored));
  }

  getVault(vaultId: string): ConnectVault | undefined {
    const stored = this.vaults.get(vaultId);
    return stored && this.vaultView(stored);
  }

  listItems(vaultId: string): ConnectItemSummary[] {
    const stored = this.vaults.get(vaultId);
    return stored
      ? [...stored.items.values()].map(entry => summaryOf(entry.item))
      : [];
  }

  getItem(vaultId: string, itemId: string): ConnectFullItem | undefined {
    const stored = this.vaults.get(vaultId)?.items.get(itemId);
    return stored && this.withFiles(vaultId, stored);
  }

  listFiles(
    vaultId: string,
    itemId: string,
    inline: boolean,
  ): ConnectFile[] | undefined {
    const stored = this.vaults.get(vaultId)?.items.get(itemId);
    return stored?.files.map(file =>
      this.fileView(vaultId, itemId, file, inline),
    );
  }

  getFile(
    vaultId: string,
    itemId: string,
    fileId: string,
    inline: boolean,
  ): ConnectFile | undefined {
    const file = this.storedFile(vaultId, itemId, fileId);
    return file && this.fileView(vaultId, itemId, file, inline);
  }

  getFileContent(
    vaultId: string,
    itemId: string,
    fileId: string,
  ): { name: string; content: Buffer } | undefined {
    const file = this.storedFile(vaultId, itemId, fileId);
    return file && { name: file.name, content: Buffer.from(file.content) };
  }

  private storedFile(vaultId: string, itemId: string, fileId: string) {
    return this.vaults
      .get(vaultId)
      ?.items.get(itemId)
      ?.files.find(file => file.id === fileId);
  }

  private fileView(
    vaultId: string,
    itemId: string,
    file: StoredFile,
    inline: boolean,
  ) {
    const view = fileMetadata(vaultId, itemId, file);
    if (inline) {
      if (file.content.length > MAX_INLINE_FILE_BYTES) {
        throw new ConnectApiError(
          413,
          `File is too large to inline in request. Use the /v1/vaults/${vaultId}/items/${itemId}/files/${file.id}/content endpoint instead.`,
        );
      }
      view.content = file.content.toString('base64');
    }
    return view;
  }

  // ---- writes by id (the API); callers have checked the vault exists ----

  createItem(
    vaultId: string,
    body: unknown,
    editor: EditorId,
  ): ConnectFullItem {
    const stored = this.requireVault(vaultId);
    const content = parseItemContent(body, { vaultId, creating: true });
    const now = this.now();
    let id = randomId();
    while (stored.items.has(id)) {
      id = randomId();
    }
    const item: ConnectFullItem = {
      id,
      vault: { id: vaultId },
      ...content,
      version: 1,
      createdAt: now,
      updatedAt: now,
      lastEditedBy: editor,
    };
    stored.items.set(id, { item, files: [] });
    this.touchVault(stored, now);
    return this.withFiles(vaultId, stored.items.get(id)!);
  }

  replaceItem(
    vaultId: string,
    itemId: string,
    body: unknown,
    editor: EditorId,
  ): ConnectFullItem | undefined {
    const stored = this.vaults.get(vaultId);
    const entry = stored?.items.get(itemId);
    if (!stored || !entry) {
      return undefined;
    }
    const content = parseItemContent(body, {
      vaultId,
      itemId,
      creating: false,
    });
    this.commitEdit(stored, entry, content, editor, this.now());
    return this.withFiles(vaultId, entry);
  }

  patchItem(
    vaultId: string,
    itemId: string,
    operations: PatchOperation[],
    editor: EditorId,
  ): ConnectFullItem | undefined {
    const stored = this.vaults.get(vaultId);
    const entry = stored?.items.get(itemId);
    if (!stored || !entry) {
      return undefined;
    }
    if (operations.length === 0) {
      return this.withFiles(vaultId, entry);
    }
    const patched = applyItemPatch(
      entry.item as unknown as Record<string, unknown>,
      operations,
    );
    const content = parseItemContent(
      { ...patched, id: itemId, vault: { id: vaultId } },
      { vaultId, itemId, creating: false },
    );
    this.commitEdit(stored, entry, content, editor, this.now());
    return this.withFiles(vaultId, entry);
  }

  deleteItem(vaultId: string, itemId: string): boolean {
    const stored = this.vaults.get(vaultId);
    if (!stored || !stored.items.delete(itemId)) {
      return false;
    }
    this.touchVault(stored, this.now());
    return true;
  }

  private requireVault(vaultId: string): StoredVault {
    const stored = this.vaults.get(vaultId);
    if (!stored) {
      throw ConnectApiError.vaultNotFound(vaultId);
    }
    return stored;
  }

  private commitEdit(
    stored: StoredVault,
    entry: StoredItem,
    content: ItemContent,
    editor: EditorId,
    at: string,
  ): void {
    const { title, category, urls, favorite, tags, sections, fields } = content;
    entry.item = {
      id: entry.item.id,
      title,
      vault: entry.item.vault,
      category,
      ...(urls ? { urls } : {}),
      favorite,
      tags,
      version: entry.item.version + 1,
      createdAt: entry.item.createdAt,
      updatedAt: at,
      lastEditedBy: editor,
      sections,
      fields,
    };
    this.touchVault(stored, at);
  }

  private touchVault(stored: StoredVault, at: string): void {
    stored.vault.contentVersion += 1;
    if (at > stored.vault.updatedAt) {
      stored.vault.updatedAt = at;
    }
  }

  // ---- the programmatic handle: lookups by id or title, Backstage errors ----

  /** The vault with this id, else the first with this name. */
  findVault(idOrName: string): ConnectVault {
    return this.vaultView(this.resolveVault(idOrName));
  }

  /** The item with this id, else the first with this title, in a vault given by id or name. */
  findItem(vaultIdOrName: string, itemIdOrTitle: string): ConnectFullItem {
    const stored = this.resolveVault(vaultIdOrName);
    return this.withFiles(
      stored.vault.id,
      this.resolveItem(stored, itemIdOrTitle),
    );
  }

  private resolveVault(idOrName: string): StoredVault {
    const stored =
      this.vaults.get(idOrName) ??
      [...this.vaults.values()].find(
        candidate => candidate.vault.name === idOrName,
      );
    if (!stored) {
      throw new NotFoundError(`No vault '${idOrName}' on this Connect server`);
    }
    return stored;
  }

  private resolveItem(stored: StoredVault, idOrTitle: string): StoredItem {
    const entry =
      stored.items.get(idOrTitle) ??
      [...stored.items.values()].find(
        candidate => candidate.item.title === idOrTitle,
      );
    if (!entry) {
      throw new NotFoundError(
        `No item '${idOrTitle}' in vault '${stored.vault.name}'`,
      );
    }
    return entry;
  }

  /** Edits an item as a person would in 1Password: a new version, `updatedAt` now (or `changes.updatedAt`). */
  updateItem(
    vaultIdOrName: string,
    itemIdOrTitle: string,
    changes: ItemChanges = {},
  ): ConnectFullItem {
    const stored = this.resolveVault(vaultIdOrName);
    const entry = this.resolveItem(stored, itemIdOrTitle);
    const fields = structuredClone(entry.item.fields);
    for (const [labelOrId, value] of Object.entries(changes.fields ?? {})) {
      const field =
        fields.find(candidate => candidate.id === labelOrId) ??
        fields.find(candidate => candidate.label === labelOrId);
      if (!field) {
        throw new InputError(
          `Item '${entry.item.title}' has no field with label or id '${labelOrId}'`,
        );
      }
      field.value = value;
    }
    const current = entry.item;
    this.commitEdit(
      stored,
      entry,
      {
        title: changes.title ?? current.title,
        category: current.category,
        urls: changes.urls ?? current.urls,
        favorite: changes.favorite ?? current.favorite,
        tags: changes.tags ?? current.tags,
        sections: current.sections,
        fields,
      },
      SANDBOX_EDITOR,
      changes.updatedAt ?? this.now(),
    );
    return this.withFiles(stored.vault.id, entry);
  }

  /** Adds an item as if someone created it in the 1Password app. */
  addItem(vaultIdOrName: string, spec: ItemSpec): ConnectFullItem {
    const stored = this.resolveVault(vaultIdOrName);
    const item = this.seedItem(stored, { ...spec, id: spec.id ?? randomId() });
    return this.withFiles(stored.vault.id, stored.items.get(item.id)!);
  }

  /** Deletes an item by id or title. */
  removeItem(vaultIdOrName: string, itemIdOrTitle: string): void {
    const stored = this.resolveVault(vaultIdOrName);
    const entry = this.resolveItem(stored, itemIdOrTitle);
    this.deleteItem(stored.vault.id, entry.item.id);
  }

  /**
   * Moves an item to another vault. Like 1Password, this makes a new item
   * (new id, version 1) in the target vault and deletes the original.
   */
  moveItem(
    vaultIdOrName: string,
    itemIdOrTitle: string,
    targetVaultIdOrName: string,
  ): ConnectFullItem {
    const source = this.resolveVault(vaultIdOrName);
    const target = this.resolveVault(targetVaultIdOrName);
    const entry = this.resolveItem(source, itemIdOrTitle);
    const now = this.now();
    let id = randomId();
    while (target.items.has(id)) {
      id = randomId();
    }
    const moved: StoredItem = {
      item: {
        ...structuredClone(entry.item),
        id,
        vault: { id: target.vault.id },
        version: 1,
        createdAt: now,
        updatedAt: now,
        lastEditedBy: SANDBOX_EDITOR,
      },
      files: entry.files.map(file => ({
        ...file,
        content: Buffer.from(file.content),
      })),
    };
    target.items.set(id, moved);
    this.touchVault(target, now);
    this.deleteItem(source.vault.id, entry.item.id);
    return this.withFiles(target.vault.id, moved);
  }

  /** Adds a vault, as an administrator would in 1Password. */
  createVault(spec: {
    name: string;
    description?: string;
    id?: string;
  }): ConnectVault {
    const id = spec.id ?? randomId();
    if (this.vaults.has(id)) {
      throw new InputError(`Vault id ${id} already exists`);
    }
    return this.vaultView(this.addVault(id, spec, this.now()));
  }
}
