/** Names shared by every part of the app; one place so the issuer, the client and the Electron host agree. */

export const APP_NAME = 'MCP Auth Desktop';

/**
 * Private-use URI scheme for the desktop redirect: reverse-DNS of a name we own, as RFC 8252
 * section 7.1 recommends and Logto's custom-scheme pattern accepts on every version.
 */
export const APP_SCHEME = 'app.mcpauthdesktop';

/** The redirect URI a desktop profile registers (single slash: the URI has no authority, RFC 8252 §7.1). */
export const APP_REDIRECT_URI = `${APP_SCHEME}:/oauth/callback`;

/** Where RP-initiated logout returns to on the desktop. */
export const APP_POST_LOGOUT_REDIRECT_URI = `${APP_SCHEME}:/oauth/signed-out`;
