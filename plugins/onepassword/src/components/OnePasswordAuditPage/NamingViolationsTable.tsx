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

import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Cell,
  Column,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
} from '@backstage/ui';
import Typography from '@material-ui/core/Typography';
import {
  NamingRuleKind,
  NamingViolation,
} from '@secret-sync/backstage-plugin-onepassword-common';
import useAsync from 'react-use/esm/useAsync';
import { onePasswordApiRef } from '../../api';
import { SnapshotError } from '../SnapshotError';
import { TableFrame } from '../TableFrame';

const RULE_LABELS: Record<NamingRuleKind, string> = {
  vault: 'Vault',
  connectServer: 'Connect server',
  onePasswordItem: 'OnePasswordItem',
};

function where(violation: NamingViolation): string {
  if (violation.entityRef) return violation.entityRef;
  if (violation.namespace)
    return `${violation.cluster} / ${violation.namespace}`;
  return violation.cluster ? `serves ${violation.cluster}` : '';
}

/**
 * Every name that breaks a rule of `onepassword.naming`, with the name the
 * rule expects; nothing when no rule is configured.
 */
export function NamingViolationsCard() {
  const api = useApi(onePasswordApiRef);
  const state = useAsync(
    async () => (api.getNamingViolations ? api.getNamingViolations() : null),
    [api],
  );
  if (state.value === null) return null;
  const rules = Object.entries(state.value?.rules ?? {});
  if (state.value && rules.length === 0) return null;
  const rows = (state.value?.items ?? []).map((violation, index) => ({
    id: String(index),
    violation,
  }));
  return (
    <InfoCard title="Naming conventions">
      {state.error && (
        <SnapshotError
          error={state.error}
          deniedMessage="The naming audit needs the onepassword.audit.read permission."
        />
      )}
      {state.loading && <Progress />}
      {state.value && (
        <>
          <Typography variant="body2" color="textSecondary" gutterBottom>
            Rules:{' '}
            {rules
              .map(
                ([kind, rule]) =>
                  `${RULE_LABELS[kind as NamingRuleKind]} names ${rule}`,
              )
              .join('; ')}
            . {rows.length === 0 ? 'Every name keeps them.' : ''}
          </Typography>
          {rows.length > 0 && (
            <TableFrame>
              <TableRoot aria-label="Naming rule violations">
                <TableHeader>
                  <Column id="rule">Rule</Column>
                  <Column id="name" isRowHeader>
                    Name
                  </Column>
                  <Column id="expected">Expected</Column>
                  <Column id="where">Where</Column>
                </TableHeader>
                <TableBody items={rows}>
                  {({ id, violation }) => (
                    <Row id={id}>
                      <Cell>{RULE_LABELS[violation.rule]}</Cell>
                      <Cell>{violation.name}</Cell>
                      <Cell>{violation.expected}</Cell>
                      <Cell>{where(violation)}</Cell>
                    </Row>
                  )}
                </TableBody>
              </TableRoot>
            </TableFrame>
          )}
        </>
      )}
    </InfoCard>
  );
}
