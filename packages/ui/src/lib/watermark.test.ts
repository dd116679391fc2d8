import { describe, expect, it } from 'vitest';
import { isWatermark } from './watermark';

describe('isWatermark', () => {
  it('accepts the watermarks exports write: no open transaction, one, several', () => {
    for (const text of ['7430:7433:', '7430:7433:7431', '7430:7440:7430,7431,7439', '3:3:', '9223372036854775806:9223372036854775807:']) {
      expect(isWatermark(text), text).toBe(true);
    }
  });

  it('refuses what no export writes', () => {
    for (const text of ['', 'garbage', '7430:7433', '7430:7433:7431,', ' 7430:7433:', '-1:7433:', '7433:7430:', '2:5:',
      '7430:7433:7429', '7430:7433:7433', '7430:7440:7432,7431', '7430:7440:7431,7431', '1:99999999999999999999:',
      '9223372036854775807:9223372036854775808:']) {
      expect(isWatermark(text), text).toBe(false);
    }
  });
});
