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

import { createHash, randomInt } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 26;
const ID_PATTERN = /^[\da-z]{26}$/;

/** Whether `value` has the shape of a Connect vault/item/field id (26 lowercase alphanumerics). */
export function isConnectId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * A stable Connect-style id derived from `seed`, so that scenario ids do not
 * change between runs unless the scenario names them differently.
 */
export function deterministicId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) {
    id += ID_ALPHABET[digest[i] % ID_ALPHABET.length];
  }
  return id;
}

/** A fresh random Connect-style id, as Connect assigns to new items and fields. */
export function randomId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) {
    id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  }
  return id;
}
