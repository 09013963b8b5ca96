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

import { ConnectApiError } from './ConnectApiError';
import { randomId } from './ids';
import {
  estimateEntropy,
  generatePassword,
  recipeProblem,
} from './passwordGenerator';
import {
  ConnectField,
  FIELD_PURPOSES,
  FIELD_TYPES,
  GeneratorRecipe,
  ITEM_CATEGORIES,
} from './types';

/** The part of an item a client may write; Connect keeps the rest (id, versions, times). */
export interface ItemContent {
  title: string;
  category: string;
  urls?: Array<{ label?: string; primary?: boolean; href: string }>;
  favorite: boolean;
  tags: string[];
  sections: Array<{ id: string; label?: string }>;
  fields: ConnectField[];
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const bad = (message: string) => ConnectApiError.badRequest(message);

/**
 * Checks a client's item document (a POST or PUT body, or a patched item) and
 * turns it into item content: defaults applied, missing ids assigned, values
 * generated for `generate: true` fields. Answers 400 naming what is wrong.
 */
export function parseItemContent(
  body: unknown,
  options: { vaultId: string; itemId?: string; creating: boolean },
): ItemContent {
  if (!isObject(body)) {
    throw bad('Invalid request body: expected an item object');
  }
  const vault = body.vault;
  if (vault !== undefined) {
    if (
      !isObject(vault) ||
      (vault.id !== undefined && vault.id !== options.vaultId)
    ) {
      throw bad(
        `Item vault id does not match vault ${options.vaultId} of the request path`,
      );
    }
  }
  if (
    options.itemId !== undefined &&
    body.id !== undefined &&
    body.id !== options.itemId
  ) {
    throw bad(
      `Item id does not match item ${options.itemId} of the request path`,
    );
  }

  const category = body.category;
  if (
    typeof category !== 'string' ||
    !(ITEM_CATEGORIES as readonly string[]).includes(category)
  ) {
    throw bad('Invalid item category');
  }
  if (options.creating && category === 'CUSTOM') {
    throw bad(
      'Items of category CUSTOM cannot be created through Connect; use a specific category',
    );
  }
  if (options.creating && category === 'DOCUMENT') {
    throw bad('DOCUMENT items cannot be created through Connect');
  }

  const title = body.title ?? '';
  if (typeof title !== 'string') {
    throw bad('Item title must be a string');
  }
  const favorite = body.favorite ?? false;
  if (typeof favorite !== 'boolean') {
    throw bad('Item favorite must be a boolean');
  }
  const tags = body.tags ?? [];
  if (!Array.isArray(tags) || tags.some(tag => typeof tag !== 'string')) {
    throw bad('Item tags must be an array of strings');
  }

  let urls: ItemContent['urls'];
  if (body.urls !== undefined && body.urls !== null) {
    if (!Array.isArray(body.urls)) {
      throw bad('Item urls must be an array');
    }
    urls = body.urls.map((url, index) => {
      if (!isObject(url) || typeof url.href !== 'string') {
        throw bad(`Item urls[${index}] needs an href string`);
      }
      return {
        href: url.href,
        ...(typeof url.label === 'string' ? { label: url.label } : {}),
        ...(typeof url.primary === 'boolean' ? { primary: url.primary } : {}),
      };
    });
  }

  const sections = parseSections(body.sections);
  const sectionIds = new Set(sections.map(section => section.id));
  const fields = parseFields(body.fields, sectionIds);

  return {
    title,
    category,
    ...(urls ? { urls } : {}),
    favorite,
    tags: tags as string[],
    sections,
    fields,
  };
}

function parseSections(value: unknown): ItemContent['sections'] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw bad('Item sections must be an array');
  }
  return value.map((section, index) => {
    if (!isObject(section)) {
      throw bad(`Item sections[${index}] must be an object`);
    }
    if (section.id !== undefined && typeof section.id !== 'string') {
      throw bad(`Item sections[${index}].id must be a string`);
    }
    return {
      id: (section.id as string | undefined) ?? randomId(),
      ...(typeof section.label === 'string' ? { label: section.label } : {}),
    };
  });
}

/** 1Password gives the built-in login fields these fixed ids. */
const BUILT_IN_FIELD_IDS: Record<string, string> = {
  USERNAME: 'username',
  PASSWORD: 'password',
};

function defaultFieldId(purpose: string, usedIds: Set<string>): string {
  const builtIn = BUILT_IN_FIELD_IDS[purpose];
  if (builtIn && !usedIds.has(builtIn)) {
    return builtIn;
  }
  return randomId();
}

function parseFields(value: unknown, sectionIds: Set<string>): ConnectField[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw bad('Item fields must be an array');
  }
  const usedIds = new Set<string>();
  for (const field of value) {
    if (isObject(field) && typeof field.id === 'string') {
      if (usedIds.has(field.id)) {
        throw bad(`Item has two fields with id '${field.id}'`);
      }
      usedIds.add(field.id);
    }
  }
  return value.map((field, index) => {
    const where = `fields[${index}]`;
    if (!isObject(field)) {
      throw bad(`Item ${where} must be an object`);
    }
    const type = String(field.type ?? 'STRING').toUpperCase();
    if (!(FIELD_TYPES as readonly string[]).includes(type)) {
      throw bad(`Item ${where} has invalid type '${String(field.type)}'`);
    }
    const purpose = field.purpose ?? '';
    if (
      typeof purpose !== 'string' ||
      !(FIELD_PURPOSES as readonly string[]).includes(purpose)
    ) {
      throw bad(`Item ${where} has invalid purpose '${String(field.purpose)}'`);
    }
    if (field.label !== undefined && typeof field.label !== 'string') {
      throw bad(`Item ${where}.label must be a string`);
    }
    if (
      field.value !== undefined &&
      field.value !== null &&
      typeof field.value !== 'string'
    ) {
      throw bad(`Item ${where}.value must be a string`);
    }
    let section: { id: string } | undefined;
    if (field.section !== undefined && field.section !== null) {
      const sectionId = isObject(field.section) ? field.section.id : undefined;
      if (typeof sectionId !== 'string' || !sectionIds.has(sectionId)) {
        throw bad(
          `The item doesn't have a section with id '${String(
            sectionId,
          )}' (${where})`,
        );
      }
      section = { id: sectionId };
    }
    const problem = recipeProblem(field.recipe as GeneratorRecipe | undefined);
    if (problem) {
      throw bad(`Item ${where}: ${problem}`);
    }

    let fieldValue = typeof field.value === 'string' ? field.value : undefined;
    let entropy: number | undefined;
    if (field.generate === true && !fieldValue) {
      const generated = generatePassword(
        (field.recipe as GeneratorRecipe) ?? {},
      );
      fieldValue = generated.value;
      entropy = generated.entropy;
    } else if (purpose === 'PASSWORD' && fieldValue) {
      entropy = estimateEntropy(fieldValue.length, 94);
    }

    let id =
      typeof field.id === 'string' && field.id !== '' ? field.id : undefined;
    if (!id) {
      id = defaultFieldId(purpose, usedIds);
      usedIds.add(id);
    }
    const parsed: ConnectField = { id, type };
    if (section) parsed.section = section;
    if (purpose) parsed.purpose = purpose;
    if (typeof field.label === 'string') parsed.label = field.label;
    if (fieldValue !== undefined) parsed.value = fieldValue;
    if (purpose === 'PASSWORD' && entropy !== undefined)
      parsed.entropy = entropy;
    return parsed;
  });
}
