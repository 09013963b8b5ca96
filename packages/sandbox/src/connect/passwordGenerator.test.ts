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

import { generatePassword, recipeProblem } from './passwordGenerator';

describe('generatePassword', () => {
  it('uses the spec default length and every character set without a recipe', () => {
    const { value, entropy } = generatePassword();
    expect(value).toHaveLength(32);
    expect(entropy).toBeGreaterThan(190);
  });

  it('honours length, character sets and exclusions', () => {
    for (let i = 0; i < 50; i++) {
      const { value } = generatePassword({
        length: 8,
        characterSets: ['DIGITS', 'SYMBOLS'],
        excludeCharacters: '0123!',
      });
      expect(value).toHaveLength(8);
      expect(value).toMatch(/^[4-9#$%&()*+,\-./:;<=>?@[\]^_{|}~]+$/);
      expect(value).toMatch(/\d/);
      expect(value).toMatch(/[^\d]/);
    }
  });

  it('does not repeat itself', () => {
    const values = new Set(
      Array.from({ length: 20 }, () => generatePassword({ length: 16 }).value),
    );
    expect(values.size).toBe(20);
  });
});

describe('recipeProblem', () => {
  it.each([
    [{ length: 0 }, /length must be an integer from 1 to 64/],
    [{ length: 65 }, /length must be an integer from 1 to 64/],
    [{ characterSets: ['EMOJI'] }, /unknown set 'EMOJI'/],
    [{ characterSets: ['DIGITS', 'DIGITS'] }, /must not repeat/],
    [
      { characterSets: ['DIGITS'], excludeCharacters: '0123456789' },
      /excludes every character/,
    ],
  ])('explains %j', (recipe, problem) => {
    expect(recipeProblem(recipe)).toMatch(problem);
  });

  it('accepts absent and valid recipes', () => {
    expect(recipeProblem(undefined)).toBeUndefined();
    expect(
      recipeProblem({ length: 64, characterSets: ['LETTERS'] }),
    ).toBeUndefined();
  });
});
