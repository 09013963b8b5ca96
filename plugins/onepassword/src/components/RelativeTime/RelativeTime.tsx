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

import Tooltip from '@material-ui/core/Tooltip';
import { TimeFormatter } from '../../lib/time';

/**
 * A time relative to `now` ("synced 4 minutes ago"), with the exact time on
 * hover. Pass a `now` from `useNow` so it keeps counting, and the reader's
 * formatter from `useTimeFormatter`.
 */
export function RelativeTime(props: {
  time: string | null;
  now: Date;
  format: TimeFormatter;
  /** Words before the relative time, e.g. "synced". */
  prefix?: string;
  /** Shown when there is no time. */
  fallback?: string;
}) {
  const { time, now, format, prefix, fallback = 'never' } = props;
  if (!time) {
    return <span>{prefix ? `${prefix} ${fallback}` : fallback}</span>;
  }
  const relative = format.relative(time, now);
  return (
    <Tooltip title={format.exact(time)}>
      <time dateTime={time}>{prefix ? `${prefix} ${relative}` : relative}</time>
    </Tooltip>
  );
}
