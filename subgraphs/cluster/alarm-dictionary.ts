/**
 * The alarm dictionaries this cluster serves: one per resource type it has, built from the fixed catalogue in
 * alarms/alarm-catalogue.ts (the alarm service raises alarms from the same catalogue, so definition ids agree).
 * A type's dictionary is a function of the type alone; types are shared objects (mapping.ts memoizes them),
 * so dictionaries are memoized per type object and the sorted list per list of types.
 */
import {
  alarmDictionaryFor,
  isResourceCategory,
  type O2AlarmDictionary,
} from '../../alarms/alarm-catalogue.ts';
import { compareIds } from '../../o2/list-window.ts';
import type { ResourceType } from './model.ts';

/** The GraphQL AlarmDictionary: the O2 dictionary plus the type it belongs to. */
export interface AlarmDictionary extends O2AlarmDictionary {
  readonly resourceTypeId: string;
}

const byType = new WeakMap<ResourceType, AlarmDictionary>();
const sortedLists = new WeakMap<readonly ResourceType[], readonly AlarmDictionary[]>();

export function alarmDictionaryOf(type: ResourceType): AlarmDictionary {
  let dictionary = byType.get(type);
  if (dictionary === undefined) {
    const category = type.extensions['category'];
    dictionary = {
      ...alarmDictionaryFor({
        resourceTypeId: type.resourceTypeId,
        name: type.name,
        vendor: type.vendor,
        model: type.model,
        version: type.version,
        // Every type the mapping creates names its category; a node is the safe reading of anything else.
        category: isResourceCategory(category) ? category : 'node',
      }),
      resourceTypeId: type.resourceTypeId,
    };
    byType.set(type, dictionary);
  }
  return dictionary;
}

/** The dictionaries of `types` in ascending order of alarmDictionaryId (the list fields' order). */
export function alarmDictionariesOf(types: readonly ResourceType[]): readonly AlarmDictionary[] {
  let list = sortedLists.get(types);
  if (list === undefined) {
    list = types.map(alarmDictionaryOf).sort((a, b) => compareIds(a.alarmDictionaryId, b.alarmDictionaryId));
    sortedLists.set(types, list);
  }
  return list;
}

/** A resource type as a filter sees it on the v4 profile, where the dictionary is embedded in the type. */
const typeViews = new WeakMap<ResourceType, ResourceType & { readonly alarmDictionary: AlarmDictionary }>();

export function resourceTypeFilterView(type: ResourceType): unknown {
  let view = typeViews.get(type);
  if (view === undefined) {
    view = { ...type, alarmDictionary: alarmDictionaryOf(type) };
    typeViews.set(type, view);
  }
  return view;
}
