package io.hookrail.privacy;

import java.nio.file.Path;
import java.util.Base64;

import io.hookrail.ops.logging.PersonalDataMasking;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds {@value PersonalData#BEAN}: the personal fields the schemas mark, the field-encryption keys
 * ({@code hookrail.crypto.keys}, {@code hookrail.crypto.activeKeyId}) and the audit pseudonym key
 * ({@code hookrail.crypto.pseudonymKey}). Unset (the demo profile; production refuses to start so), each key is made
 * once and kept in the data directory. The log masking is set to the schemas' personal field names here too.
 */
@Configuration
public class PrivacyConfiguration implements CamelConfiguration {

    /** The key id of the demo profile's one key, made in the data directory. */
    static final String LOCAL_KEY_ID = "local-1";
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyConfiguration.class);

    @PropertyInject(value = "hookrail.crypto.keys", defaultValue = "")
    private String keys;
    @PropertyInject(value = "hookrail.crypto.activeKeyId", defaultValue = "")
    private String activeKeyId;
    @PropertyInject(value = "hookrail.crypto.pseudonymKey", defaultValue = "")
    private String pseudonymKey;
    @PropertyInject(value = "hookrail.data.dir", defaultValue = "data")
    private String dataDir;

    @Override
    public void configure(CamelContext context) throws Exception {
        Path data = Path.of(dataDir).toAbsolutePath();
        FieldKeys fieldKeys;
        if (keys.isBlank()) {
            byte[] local = KeyFiles.readOrCreate(data.resolve("field-key"), FieldKeys.KEY_BYTES);
            fieldKeys = FieldKeys.parse(LOCAL_KEY_ID + ":" + Base64.getEncoder().encodeToString(local), "");
        } else {
            fieldKeys = FieldKeys.parse(keys, activeKeyId);
        }
        byte[] pseudonym = pseudonymKey.isBlank() ? KeyFiles.readOrCreate(data.resolve("pseudonym-key"), 32)
                : Base64.getDecoder().decode(pseudonymKey.trim());
        PersonalFields fields = PersonalFields.discover();
        PersonalDataMasking.maskFields(fields.fieldNames());
        context.getRegistry().bind(PersonalData.BEAN,
                new PersonalData(fields, new FieldCipher(fieldKeys), new Pseudonyms(pseudonym)));
        LOG.info("Personal fields are encrypted under key {}; masked in logs: {}", fieldKeys.activeId(),
                PersonalDataMasking.maskedFields());
    }
}
