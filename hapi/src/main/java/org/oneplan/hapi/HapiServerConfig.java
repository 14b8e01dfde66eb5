package org.oneplan.hapi;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.PackageLoaderConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The few beans HAPI's JPA configuration expects the host application to supply (data source,
 * entity manager factory, transaction manager, storage and partition settings, binary storage),
 * plus the REST servlet that exposes the DAOs as a FHIR R4 endpoint under {@code /fhir}.
 */
@Configuration
@Import({
	JpaR4Config.class, // FHIR R4 context, DAOs, system DAO, JpaConfig, validation support chain
	HapiJpaConfig.class, // full-text svc (disabled), stale search cleanup, paging provider
	PackageLoaderConfig.class,
	JpaBatch2Config.class,
	Batch2JobsConfig.class, // reindex jobs used after SearchParameter changes
	ThreadPoolFactoryConfig.class,
	SubscriptionChannelConfig.class // in-memory message broker that batch2 work chunks travel on
})
public class HapiServerConfig {

	private static final Logger LOG = LoggerFactory.getLogger(HapiServerConfig.class);

	@Value("${localhapi.data-dir}")
	private String dataDir;

	@Value("${localhapi.db-pool-size:10}")
	private int dbPoolSize;

	@Value("${localhapi.default-page-size:20}")
	private int defaultPageSize;

	@Value("${localhapi.max-page-size:200}")
	private int maxPageSize;

	@Value("${localhapi.reuse-cached-search-results-millis:0}")
	private long reuseCachedSearchResultsMillis;

	@Value("${localhapi.retain-cached-searches-mins:60}")
	private long retainCachedSearchesMins;

	@Value("${localhapi.allow-multiple-delete:true}")
	private boolean allowMultipleDelete;

	@Value("${localhapi.expunge-enabled:true}")
	private boolean expungeEnabled;

	@Value("${localhapi.allow-external-references:false}")
	private boolean allowExternalReferences;

	@Value("${localhapi.pretty-print:true}")
	private boolean prettyPrint;

	// ---------------------------------------------------------------- persistence

	@Bean(destroyMethod = "close")
	public DataSource dataSource() throws IOException {
		Path h2Dir = Path.of(dataDir).toAbsolutePath().normalize().resolve("h2");
		Files.createDirectories(h2Dir);
		HikariConfig cfg = new HikariConfig();
		cfg.setPoolName("hapi-h2");
		cfg.setDriverClassName("org.h2.Driver");
		// An absolute path (H2 rejects implicitly relative ones); the pool closes the
		// database on shutdown, not H2's own JVM hook.
		cfg.setJdbcUrl("jdbc:h2:file:" + h2Dir.resolve("hapi") + ";DB_CLOSE_ON_EXIT=FALSE");
		cfg.setUsername("sa");
		cfg.setPassword("");
		cfg.setMaximumPoolSize(dbPoolSize);
		LOG.info("H2 database: {}", h2Dir.resolve("hapi.mv.db"));
		return new HikariDataSource(cfg);
	}

	@Primary
	@Bean
	public LocalContainerEntityManagerFactoryBean entityManagerFactory(
			ConfigurableListableBeanFactory beanFactory,
			FhirContext fhirContext,
			JpaStorageSettings storageSettings,
			DataSource dataSource) {
		LocalContainerEntityManagerFactoryBean emf =
				HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
		emf.setPersistenceUnitName("HAPI_PU");
		emf.setDataSource(dataSource);
		Properties jpa = new Properties();
		jpa.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
		jpa.put("hibernate.hbm2ddl.auto", "update");
		jpa.put("hibernate.show_sql", "false");
		jpa.put("hibernate.format_sql", "false");
		jpa.put("hibernate.jdbc.batch_size", "20");
		jpa.put("hibernate.cache.use_query_cache", "false");
		jpa.put("hibernate.cache.use_second_level_cache", "false");
		jpa.put("hibernate.cache.use_structured_entries", "false");
		jpa.put("hibernate.cache.use_minimal_puts", "false");
		// No Lucene / Elasticsearch: plain database search only.
		jpa.put("hibernate.search.enabled", "false");
		emf.setJpaProperties(jpa);
		return emf;
	}

	@Primary
	@Bean
	public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
		return new JpaTransactionManager(entityManagerFactory);
	}

	// ---------------------------------------------------------------- HAPI settings

	@Bean
	public JpaStorageSettings jpaStorageSettings() {
		JpaStorageSettings s = new JpaStorageSettings();
		// Client ids: any id with at least one letter (PUT Patient/abc-123); numeric ids are refused.
		s.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ALPHANUMERIC);
		// Search result cache off: every search is executed afresh (null disables reuse).
		s.setReuseCachedSearchResultsForMillis(
				reuseCachedSearchResultsMillis > 0 ? reuseCachedSearchResultsMillis : null);
		s.setExpireSearchResultsAfterMillis(retainCachedSearchesMins * 60_000L);
		s.setFetchSizeDefaultMaximum(maxPageSize);
		s.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
		s.setAllowMultipleDelete(allowMultipleDelete);
		s.setExpungeEnabled(expungeEnabled);
		s.setDeleteExpungeEnabled(expungeEnabled);
		s.setAllowExternalReferences(allowExternalReferences);
		s.setAdvancedHSearchIndexing(false);
		s.setStoreResourceInHSearchIndex(false);
		LOG.info(
				"Search result cache reuse: {}",
				reuseCachedSearchResultsMillis > 0 ? reuseCachedSearchResultsMillis + " ms" : "disabled");
		return s;
	}

	@Bean
	public PartitionSettings partitionSettings() {
		return new PartitionSettings();
	}

	@Bean
	public IBinaryStorageSvc binaryStorageSvc() {
		return new DatabaseBinaryContentStorageSvcImpl();
	}

	// ---------------------------------------------------------------- REST layer

	@Bean
	public RestfulServer fhirRestfulServer(
			IFhirSystemDao<?, ?> systemDao,
			ResourceProviderFactory resourceProviderFactory,
			JpaSystemProvider<?, ?> systemProvider,
			ValueSetOperationProvider valueSetOperationProvider,
			DatabaseBackedPagingProvider pagingProvider,
			JpaStorageSettings storageSettings,
			ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport) {
		FhirContext ctx = systemDao.getContext();
		ctx.setNarrativeGenerator(new NullNarrativeGenerator());

		RestfulServer server = new RestfulServer(ctx);
		server.registerProviders(resourceProviderFactory.createProviders());
		server.registerProvider(systemProvider); // transaction/batch, $meta, ...
		server.registerProvider(valueSetOperationProvider); // $expand, $validate-code

		JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
				server, systemDao, storageSettings, searchParamRegistry, validationSupport);
		capabilities.setImplementationDescription("OnePlan local HAPI FHIR R4 server");
		server.setServerConformanceProvider(capabilities);

		pagingProvider.setDefaultPageSize(defaultPageSize);
		pagingProvider.setMaximumPageSize(maxPageSize);
		server.setPagingProvider(pagingProvider);

		server.setDefaultResponseEncoding(EncodingEnum.JSON);
		server.setDefaultPrettyPrint(prettyPrint);
		return server;
	}

	@Bean
	public ServletRegistrationBean<RestfulServer> fhirServletRegistration(RestfulServer server) {
		ServletRegistrationBean<RestfulServer> reg = new ServletRegistrationBean<>(server, "/fhir/*");
		reg.setName("fhir");
		reg.setLoadOnStartup(1);
		return reg;
	}
}
