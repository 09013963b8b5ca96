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

import { randomInt } from 'node:crypto';
import { GeneratorRecipe } from './types';

const CHARACTER_SETS = {
  LETTERS: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  DIGITS: '0123456789',
  SYMBOLS: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
} as const;

/** Character set names a recipe may use. */
type CharacterSetName = keyof typeof CHARACTER_SETS;

/** The spec's default length; all character sets when the recipe names none. */
const DEFAULT_RECIPE_LENGTH = 32;
const MIN_LENGTH = 1;
const MAX_LENGTH = 64;

/** Why a recipe cannot be used, or undefined when it can. */
export function recipeProblem(
  recipe: GeneratorRecipe | undefined,
): string | undefined {
  if (recipe === undefined || recipe === null) {
    return undefined;
  }
  if (typeof recipe !== 'object' || Array.isArray(recipe)) {
    return 'recipe must be an object';
  }
  const { length, characterSets, excludeCharacters } = recipe;
  if (
    length !== undefined &&
    (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH)
  ) {
    return `recipe length must be an integer from ${MIN_LENGTH} to ${MAX_LENGTH}`;
  }
  if (characterSets !== undefined) {
    if (!Array.isArray(characterSets)) {
      return 'recipe characterSets must be an array';
    }
    for (const set of characterSets) {
      if (!(set in CHARACTER_SETS)) {
        return `recipe characterSets contains unknown set '${set}'`;
      }
    }
    if (new Set(characterSets).size !== characterSets.length) {
      return 'recipe characterSets must not repeat a set';
    }
  }
  if (
    excludeCharacters !== undefined &&
    typeof excludeCharacters !== 'string'
  ) {
    return 'recipe excludeCharacters must be a string';
  }
  if (alphabetOf(recipe).length === 0) {
    return 'recipe excludes every character it could use';
  }
  return undefined;
}

function alphabetOf(recipe: GeneratorRecipe): string {
  const sets: CharacterSetName[] =
    recipe.characterSets && recipe.characterSets.length > 0
      ? (recipe.characterSets as CharacterSetName[])
      : ['LETTERS', 'DIGITS', 'SYMBOLS'];
  const excluded = new Set(recipe.excludeCharacters ?? '');
  return sets
    .map(set => CHARACTER_SETS[set])
    .join('')
    .split('')
    .filter(char => !excluded.has(char))
    .join('');
}

/**
 * Generates a value from a recipe with the CSPRNG of node:crypto. Every
 * requested character set that still has characters after exclusions is
 * represented at least once when the length allows, like 1Password does.
 * Callers must check {@link recipeProblem} first.
 */
export function generatePassword(recipe: GeneratorRecipe = {}): {
  value: string;
  entropy: number;
} {
  const length = recipe.length ?? DEFAULT_RECIPE_LENGTH;
  const alphabet = alphabetOf(recipe);
  const excluded = new Set(recipe.excludeCharacters ?? '');
  const requiredSets = ((recipe.characterSets ?? []) as CharacterSetName[])
    .map(set => CHARACTER_SETS[set].split('').filter(c => !excluded.has(c)))
    .filter(chars => chars.length > 0);

  const chars: string[] = [];
  for (const set of requiredSets.slice(0, length)) {
    chars.push(set[randomInt(set.length)]);
  }
  while (chars.length < length) {
    chars.push(alphabet[randomInt(alphabet.length)]);
  }
  // Fisher-Yates, so the required characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return {
    value: chars.join(''),
    entropy: estimateEntropy(length, alphabet.length),
  };
}

/** Entropy in bits of a uniformly random value, as Connect reports for PASSWORD fields. */
export function estimateEntropy(length: number, alphabetSize: number): number {
  return Math.round(length * Math.log2(Math.max(alphabetSize, 1)) * 100) / 100;
}
