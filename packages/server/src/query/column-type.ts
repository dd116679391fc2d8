/** The registry's column type without modifiers: "character varying(255)" → "character varying"; arrays stay arrays. */
export const baseType = (type: string): string => type.trim().toLowerCase().replace(/\s*\([^)]*\)/g, '');

/** Whether a registry column type is timestamptz (any precision): its values name instants, written as JSON in the writer's zone. */
export const isZonedTime = (type: string): boolean => ['timestamp with time zone', 'timestamptz'].includes(baseType(type));
