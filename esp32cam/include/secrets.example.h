// Copy to secrets.h (untracked: see ../.gitignore) and fill in. Or define these with -D build
// flags. The firmware never prints them.
#pragma once

#define WIFI_SSID "camwifi"
#define WIFI_PASSPHRASE "thisisacamwifi"
// The server's mDNS name without ".local".
#define SERVER_NAME "microshift-cam-reg"
// camserver's registration.key, if the server requires one; "" otherwise.
#define REGISTRATION_KEY ""
// Camera settings.
#define FRAME_WIDTH 640
#define FRAME_HEIGHT 480
#define JPEG_QUALITY 90
#define MAX_FPS 13
