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

/**
 * JSON shapes of the 1Password Connect API 1.7.1, written from the OpenAPI
 * contract (`connect-api-1.7.1.openapi.yaml`), not from any client library.
 */

/** @public */
export const ITEM_CATEGORIES = [
  'LOGIN',
  'PASSWORD',
  'API_CREDENTIAL',
  'SERVER',
  'DATABASE',
  'CREDIT_CARD',
  'MEMBERSHIP',
  'PASSPORT',
  'SOFTWARE_LICENSE',
  'OUTDOOR_LICENSE',
  'SECURE_NOTE',
  'WIRELESS_ROUTER',
  'BANK_ACCOUNT',
  'DRIVER_LICENSE',
  'IDENTITY',
  'REWARD_PROGRAM',
  'DOCUMENT',
  'EMAIL_ACCOUNT',
  'SOCIAL_SECURITY_NUMBER',
  'MEDICAL_RECORD',
  'SSH_KEY',
  'CUSTOM',
] as const;

/** Field types the spec lists, plus `OTP`, which real servers use instead of `TOTP`. @public */
export const FIELD_TYPES = [
  'STRING',
  'EMAIL',
  'CONCEALED',
  'URL',
  'TOTP',
  'OTP',
  'DATE',
  'MONTH_YEAR',
  'MENU',
] as const;

/** @public */
export const FIELD_PURPOSES = ['', 'USERNAME', 'PASSWORD', 'NOTES'] as const;

/** @public */
export interface ConnectVault {
  id: string;
  name: string;
  description: string;
  attributeVersion: number;
  contentVersion: number;
  items: number;
  type: 'USER_CREATED' | 'PERSONAL' | 'EVERYONE' | 'TRANSFER';
  createdAt: string;
  updatedAt: string;
}

/** @public */
export interface GeneratorRecipe {
  length?: number;
  characterSets?: string[];
  excludeCharacters?: string;
}

/** @public */
export interface ConnectField {
  id: string;
  section?: { id: string };
  type: string;
  purpose?: string;
  label?: string;
  value?: string;
  generate?: boolean;
  recipe?: GeneratorRecipe;
  entropy?: number;
  totp?: string;
}

/** @public */
export interface ConnectFile {
  id: string;
  name: string;
  size: number;
  content_path: string;
  section?: { id: string };
  content?: string;
}

/** The summary returned by item lists: no fields, sections or files. @public */
export interface ConnectItemSummary {
  id: string;
  title: string;
  vault: { id: string };
  category: string;
  urls?: Array<{ label?: string; primary?: boolean; href: string }>;
  favorite: boolean;
  tags: string[];
  version: number;
  state?: 'ARCHIVED' | 'DELETED';
  createdAt: string;
  updatedAt: string;
  lastEditedBy: string;
}

/** @public */
export interface ConnectFullItem extends ConnectItemSummary {
  sections: Array<{ id: string; label?: string }>;
  fields: ConnectField[];
  files?: ConnectFile[];
}

/** One row of `/v1/activity`. @public */
export interface ConnectApiRequest {
  requestId: string;
  timestamp: string;
  action: 'READ' | 'CREATE' | 'UPDATE' | 'DELETE';
  result: 'SUCCESS' | 'DENY';
  actor: {
    id: string;
    account: string;
    jti: string;
    userAgent: string;
    requestIp: string;
  };
  resource: {
    type: 'ITEM' | 'VAULT';
    vault: { id: string };
    item?: { id: string };
    itemVersion?: number;
  };
}
