/** The media type of SCIM messages (RFC 7644 §8.1): what the gateway answers, and what it accepts beside plain JSON. */
export const SCIM_CONTENT_TYPE = 'application/scim+json';
