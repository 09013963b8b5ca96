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

import { Entity } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import AddCircleOutline from '@material-ui/icons/AddCircleOutline';
import { Link as RouterLink } from 'react-router-dom';
import { useRequestCredentialsLink } from '../../hooks/useRequestCredentialsLink';

/** Opens the request-credentials template with this entity filled in. */
export function RequestCredentialsButton(props: {
  entity: Entity;
  variant?: 'text' | 'outlined' | 'contained';
}) {
  const { entity, variant = 'outlined' } = props;
  const link = useRequestCredentialsLink(entity);
  return (
    <Button
      component={RouterLink}
      to={link}
      // It navigates: a link to assistive technology, not a button.
      role="link"
      variant={variant}
      color="primary"
      startIcon={<AddCircleOutline />}
    >
      Request new credentials
    </Button>
  );
}
