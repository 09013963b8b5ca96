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

import { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  frame: {
    overflowX: 'auto',
    // Columns as wide as their content needs, so header words never break;
    // a table wider than the page scrolls sideways instead.
    '& table': { tableLayout: 'auto' },
    '& th': { whiteSpace: 'nowrap' },
    '& td': { verticalAlign: 'top' },
    // Rows here do nothing on click: a hover highlight would promise an
    // action, and it lowers the contrast of secondary text below 4.5:1.
    '& tr:hover': { backgroundColor: 'transparent' },
  },
});

/** Wraps a read-only Backstage UI table of this plugin. */
export function TableFrame(props: { children: ReactNode }) {
  const classes = useStyles();
  return <div className={classes.frame}>{props.children}</div>;
}
