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

import type { Selection } from '@backstage/ui';
import {
  Button,
  MenuListBox,
  MenuListBoxItem,
  MenuTrigger,
} from '@backstage/ui';
import { makeStyles } from '@material-ui/core/styles';
import ViewColumn from '@material-ui/icons/ViewColumn';
import { AUDIT_COLUMNS } from './AuditTable';

const useStyles = makeStyles(theme => ({
  // Looks like the outlined buttons beside it on the card.
  trigger: {
    border: `1px solid ${theme.palette.divider}`,
    color: theme.palette.text.primary,
    backgroundColor: 'transparent',
  },
}));

/**
 * Picks the audit table's columns: the compact default set, or any of the
 * rest. The Secret column stays, since it names each row.
 */
export function ColumnPicker(props: {
  columns: readonly string[];
  onChange: (columns: string[]) => void;
}) {
  const { columns, onChange } = props;
  const classes = useStyles();
  const handleChange = (selection: Selection) => {
    const selected =
      selection === 'all'
        ? AUDIT_COLUMNS.map(column => column.id)
        : AUDIT_COLUMNS.map(column => column.id).filter(id =>
            selection.has(id),
          );
    onChange(selected.includes('secret') ? selected : ['secret', ...selected]);
  };
  return (
    <MenuTrigger>
      <Button
        variant="secondary"
        className={classes.trigger}
        iconStart={<ViewColumn fontSize="small" />}
      >
        Columns
      </Button>
      <MenuListBox
        aria-label="Visible columns"
        selectionMode="multiple"
        // Escape closes the menu; by default it would clear the selection.
        escapeKeyBehavior="none"
        selectedKeys={new Set(columns)}
        disabledKeys={['secret']}
        onSelectionChange={handleChange}
      >
        {AUDIT_COLUMNS.map(column => (
          <MenuListBoxItem key={column.id} id={column.id}>
            {column.label}
          </MenuListBoxItem>
        ))}
      </MenuListBox>
    </MenuTrigger>
  );
}
