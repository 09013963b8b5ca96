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

import { InputError } from '@backstage/errors';

/** Item categories the actions create; each gets one generated secret field. */
export const ITEM_CATEGORIES = [
  'LOGIN',
  'PASSWORD',
  'API_CREDENTIAL',
  'DATABASE',
  'SERVER',
] as const;

/** @public */
export type OnePasswordItemCategory = (typeof ITEM_CATEGORIES)[number];

export const CHARACTER_SETS = ['LETTERS', 'DIGITS', 'SYMBOLS'] as const;

/**
 * A value of the caller's input as an error message quotes it: cut short, so
 * an oversized input is named, not sent back whole.
 */
export function quoted(value: string): string {
  return value.length > 80
    ? `'${value.slice(0, 80)}…' (${value.length} characters)`
    : `'${value}'`;
}

export const TITLE_MAX_LENGTH = 100;
const TAG_MAX_LENGTH = 64;
const TAGS_MAX_COUNT = 20;
export const FIELD_LABEL_MAX_LENGTH = 64;
export const FIELD_VALUE_MAX_LENGTH = 1024;
export const FIELDS_MAX_COUNT = 20;
/** Connect's own bounds are 1..64; below 12 a generated credential is too weak to hand out. */
export const RECIPE_MIN_LENGTH = 12;
export const RECIPE_MAX_LENGTH = 64;

const TAG_PATTERN = /^[a-z0-9:._/-]+$/;
/**
 * The operator turns field labels into Secret keys and skips keys outside
 * `[-._a-zA-Z0-9]`, so a label outside that set would silently vanish.
 */
export const FIELD_LABEL_PATTERN = /^[A-Za-z0-9._-]+$/;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Throws an InputError unless `title` is a valid vault or item title. */
export function validateTitle(title: string, what = 'title'): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) {
    throw new InputError(`The ${what} must not be empty`);
  }
  if (trimmed.length > TITLE_MAX_LENGTH) {
    throw new InputError(
      `The ${what} must be at most ${TITLE_MAX_LENGTH} characters, got ${trimmed.length}`,
    );
  }
  if (CONTROL_CHARACTERS.test(trimmed)) {
    throw new InputError(`The ${what} must not contain control characters`);
  }
  return trimmed;
}

/** Throws an InputError naming the first tag that breaks the tag rules. */
export function validateTags(tags: string[]): string[] {
  if (tags.length > TAGS_MAX_COUNT) {
    throw new InputError(
      `At most ${TAGS_MAX_COUNT} tags are allowed, got ${tags.length}`,
    );
  }
  for (const tag of tags) {
    if (tag.length === 0 || tag.length > TAG_MAX_LENGTH) {
      throw new InputError(
        `Tag ${quoted(tag)} must be 1 to ${TAG_MAX_LENGTH} characters long`,
      );
    }
    if (!TAG_PATTERN.test(tag)) {
      throw new InputError(
        `Tag ${quoted(
          tag,
        )} may only contain lowercase letters, digits and ':._/-'`,
      );
    }
  }
  return tags;
}

/** The tag that links an item to the catalog entity it was requested for. */
export function entityTag(entityRef: string): string {
  return `backstage:${entityRef.toLocaleLowerCase('en-US')}`;
}
