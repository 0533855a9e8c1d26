import { Testing } from 'cdktf';
// Declares the matchers' types on jest's Matchers (for `npm run build`).
import 'cdktf/lib/testing/adapters/jest';

// cdktf's matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSourceWithProperties, ...
Testing.setupJest();
